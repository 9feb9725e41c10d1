
BprobabilitiesJ(D©É:$	’;Üiè8 }?.Ùp:V÷æ5?©=;G”é7'<p6wø7