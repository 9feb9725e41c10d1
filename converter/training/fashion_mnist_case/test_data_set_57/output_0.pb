
BprobabilitiesJ(N2€7,70‰:L„8Op?qS5¶İx=-`-5ÚÏ5ú@‡5