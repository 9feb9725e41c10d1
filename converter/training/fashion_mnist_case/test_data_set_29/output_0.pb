
BprobabilitiesJ(ñr:Ü¶Ñ8T˝":}R?a.>Cïz6¨√Ë<~
7bª8jıÄ7