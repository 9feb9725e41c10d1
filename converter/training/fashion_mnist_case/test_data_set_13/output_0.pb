
BprobabilitiesJ(ğ^7îZŞ8èYè5÷?¹Tı6)"59¼6j‚}4p1”5®¸ß4