//! size-base plus whatlang: prints the language of stdin.
use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    println!("{} {:?}", s.len(), whatlang::detect(&s).map(|i| i.lang()));
}
