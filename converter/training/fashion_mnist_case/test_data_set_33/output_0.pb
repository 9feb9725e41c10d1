
BprobabilitiesJ(`¬$:V_ά8ER;9-Β~?§|o:άπΑ6-[:;κ8Χ9n$7