
BprobabilitiesJ(V/4úÿ?íÙ2ï133Q4,,2—°C3ñfH2+ñ)1à>/