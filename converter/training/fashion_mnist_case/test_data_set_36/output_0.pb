
BprobabilitiesJ(<’à,Ìõ2Xøt/Q'K/9¬/êÝù6¢k,vÿ?</{âS5