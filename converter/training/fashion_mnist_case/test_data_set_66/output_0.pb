
BprobabilitiesJ(µ
>®E°9O«$?_Ë>Wh<t—7ƒÅ¢=Ã’8=Ç9j­7