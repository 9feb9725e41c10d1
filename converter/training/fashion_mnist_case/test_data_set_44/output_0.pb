
BprobabilitiesJ(×ÃÖ6UF.5»‰81¾6y¼X=o¼ 3énr?“ÚÂ3àïJ5İEâ5