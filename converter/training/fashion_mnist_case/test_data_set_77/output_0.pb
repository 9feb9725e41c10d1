
BprobabilitiesJ(Ì±\9R¼6;Ô?Q®Y6W{U9úGü3e/}9v5“ý6²-5