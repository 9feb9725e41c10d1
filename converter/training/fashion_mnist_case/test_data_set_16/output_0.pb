
BprobabilitiesJ(³Α’:Ή6®7Xοy?αξ7€g:»¨A6fC±<›hΞ5<&?6ς±~6