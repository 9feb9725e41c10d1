
BprobabilitiesJ(*н70_Li3b!Е13Ё┘2	Е▄12{h6ВїХ0Ю■?вс43лчУ7