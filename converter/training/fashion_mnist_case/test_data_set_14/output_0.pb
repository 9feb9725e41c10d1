
BprobabilitiesJ([\39	òÓ7ëv=¸Y8õn?ø‹N4£ÕÄ;2ÔÕ6®yÍ7µ}6