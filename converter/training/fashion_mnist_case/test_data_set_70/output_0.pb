
BprobabilitiesJ(Ïà¹5r\®64¼6‚6“6³ğÊ6cX:v6´Ø?WX¤6Úvˆ8