/* Does not compile: gcc's error, and the unit is not analysed. */
int broken(void)
{
	return missing_identifier;
}
