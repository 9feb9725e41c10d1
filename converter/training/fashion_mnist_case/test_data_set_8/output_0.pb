
BprobabilitiesJ(Sû2.‰3YV÷2Ü™35Å3şı?ÿ{õ1ôGÆ7y|ä6H¡2