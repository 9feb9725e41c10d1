
BprobabilitiesJ(å‰"1Ç ­0fšŞ/–Lx2sÙ2#ø6‹/Ü00„ÿ?M%Ì0