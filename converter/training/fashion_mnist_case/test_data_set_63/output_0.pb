
BprobabilitiesJ(Ãhs0L˜1iä/¼°Ë/6Ó0þÿ?y90þùí3smþ2ùðe3