//! size-base plus jieba-rs with its default dictionary: also prints the
//! number of words of stdin.
use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let pairs = s.chars().collect::<Vec<_>>().windows(2).filter(|w| w[0] > '\u{3000}' && w[1] > '\u{3000}').count();
    let j = jieba_rs::Jieba::new();
    println!("{} {} {}", std::hint::black_box(s.len()), pairs, j.cut(&s, true).len());
}
