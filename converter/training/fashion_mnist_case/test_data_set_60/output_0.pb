
BprobabilitiesJ(æ—1a‡94^˜Ã2`R2bu2ÔŠ@5dV#1pü?ÿ
5´‡]8