
BprobabilitiesJ(j¡Ÿ4Êì04Æÿ3ù<2#Æz14DŒ3)?È4&Œ3ìÿ?™iª4