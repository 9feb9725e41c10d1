
BprobabilitiesJ(cרֲ;Üַה7
h?ד¾9}V>=‚Qֽ7&=עx7¢e›83מ46