
BprobabilitiesJ(s.02ря?г€я0БYF5–Dd4Ны¬0Ѓl2»АЄ2UaV/*ђ2