
BprobabilitiesJ(`34šp4›£3ÜnU3ÇİÕ4Àı?ƒ!ï3n³ô6ÕaØ7·‡ˆ4