
BprobabilitiesJ(‹a6=ºh5Pı?ÄÆ5§Q8CîŒ1¼}½4¹¯4zOï36G4