
BprobabilitiesJ(B·~?Ä©ª6™W[:³J9þ+q6.5ð‚;€ã4í¢7åKP4