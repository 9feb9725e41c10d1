
BprobabilitiesJ(t^2¿ré4íV¤2ó…4¯rŠ2µÔ8	­‡2á?.Â@40Â9