
BprobabilitiesJ(Ç§4Úÿ?BŠø3U'Á5©Â4¾2¡˜}3“Sh2pµù2Y_·1