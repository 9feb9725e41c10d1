
BprobabilitiesJ(<}?³p§5)<V9B™8Qµ61Õd41Â,<XÖ4Qà\7‹Ø4