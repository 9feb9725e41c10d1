
BprobabilitiesJ(ƒ	<;8x–8Q|3?«é¯8ı
1=Ö¼B6ìW>Rˆx6&¶—6üã”5