
BprobabilitiesJ(Yv!5hšó5R!2O•2¡…40'?5ë2¿Ês4¶ÿ?á-Ž5