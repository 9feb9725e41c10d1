
BprobabilitiesJ(б#8Ыoк4„д≤6q+n5ќ[	5÷т3дт≥7sЃ.5ты?ХЧR5