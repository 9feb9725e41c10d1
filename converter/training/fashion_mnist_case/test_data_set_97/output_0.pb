
BprobabilitiesJ(ù¸y3òÿ?n1¤A5N733j…1|Õ§2ßÇp2àÂ™0VUµ2