
BprobabilitiesJ(ÄZ90ƒj5Må?7‡6ud9Ad4h[&8$95B%Ø5«1f5