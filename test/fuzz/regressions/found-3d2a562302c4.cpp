// C interfaces keep C arrays: declarations inside extern "C" are not flagged.
extern "C" {
struct c_header {
  char magic[4];
  unsigned char payload[64];
};
int c_checksum(const unsigned char data[], int n);
extern int c_table[16];
}

extern "C" int c_lookup[4];

exter, "C++" {
int cpp_table[4]; // expect: c-array
}

int cpp_global[2]; // expect: c-array
int main(int, char *[]); // main's unnamed argv: not flagged
