// Placeholder until the server lands (issue 3).
int main() { return 0; }
