
BprobabilitiesJ(ƒ(5þþ?}ê47!Æˆ6™c)3†´R5¡%;4õo<3Aõ=4