
BprobabilitiesJ(‘/vê1Äö/zoA14§!/·­	4˜/½Íï7îğ3ş?