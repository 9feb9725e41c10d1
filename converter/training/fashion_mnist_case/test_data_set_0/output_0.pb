
BprobabilitiesJ(2—Q/iÅ2í÷60pĞ0UÚ/g379\¶.v\9ëÁ¨3‰ñ?