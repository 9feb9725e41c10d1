
BprobabilitiesJ(¼»é8dIÿ6œb¾:×_U6¢6l?Rh4â›=’ÜG3ëöó5B5