
BprobabilitiesJ(ëª21/ë4ü™í2JÊ32mÅ2`w~?³iô1K$–8•ğ7×§Á;