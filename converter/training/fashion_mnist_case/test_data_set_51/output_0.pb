
BprobabilitiesJ(Ï89œÌ8_|i>®A8M?•b7¨ÄY>)€é6„.½7“26