
BprobabilitiesJ(GÓ_2“aP5‡F3íœ4™šf3:8†7¿Mf3Ûòo:ï®×6yÂ?