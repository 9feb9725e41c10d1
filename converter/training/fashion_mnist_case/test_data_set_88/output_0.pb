
BprobabilitiesJ(tŞ?Cˆ45¯¼r9«JÄ8İÎ4ƒÙ 4e­;9á‹q3„Ü6c–õ2