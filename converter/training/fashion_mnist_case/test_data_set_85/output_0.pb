
BprobabilitiesJ(yñ?”¸4Öú9:ß7•§¾6Rdò2û–8¨hw2¯9Œ6Ôa¸1