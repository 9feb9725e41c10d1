
BprobabilitiesJ(Z,ù<nß8{²>H:Ğ²R;¾j‘7Î?¢xÆ7³M7Ÿd7