
BprobabilitiesJ(Û—Û0Œ1Lu0I_ñ1²Ùƒ0Dþ?Q~0˜Ý7“¨Ã2Çé&4