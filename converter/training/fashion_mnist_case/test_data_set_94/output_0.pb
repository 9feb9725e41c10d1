
BprobabilitiesJ("íò3~ÿ?MÖ2õZØ6xVŠ5ß0¢1êìş2œ;3FÄ1Ó…ë3