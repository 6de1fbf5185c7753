/*
 * tmod_nosym.c - a shared object that is not a serval module: it exports
 * a function but no `exports` symbol.
 */
__attribute__((visibility("default"))) int tmod_nosym_answer(void);

int tmod_nosym_answer(void)
{
	return 42;
}
