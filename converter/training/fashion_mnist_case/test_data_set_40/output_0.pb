
BprobabilitiesJ(u¶€>–G`79µN9·ë:pŒ5b??šC6Ã 8_Âö6