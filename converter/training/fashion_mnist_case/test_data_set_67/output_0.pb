
BprobabilitiesJ(Õ¯9æON:F~M;ÚU§>‚)?EõF7vâ<×¢Õ8œÛs9s+8