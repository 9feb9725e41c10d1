
BprobabilitiesJ(my5‚þ?+l6pä6ªî_6mu¼5~^74¹‹þ3ˆ4ý6/ƒ3