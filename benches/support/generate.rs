//! Realistic news prose of any size for the benchmarks: hard-wrapped paragraphs of wire-style
//! sentences, with an anonymous source every few paragraphs and the look-alikes that make a
//! detector work (named sources, "official figures", "source code", "close to 100 people").
//! Deterministic: the same seed and size always give the same text.

const PLAIN: &[&str] = &[
    "The council approved the budget after a three-hour debate that ran late into the evening.",
    "Shares in the company rose 4% in early trading before falling back by the close.",
    "The storm brought down power lines across the region, leaving thousands of homes without electricity.",
    "Official figures published on Thursday showed inflation eased for a third consecutive month.",
    "The project's source code was published online last year under an open-source licence.",
    "Close to 100 people gathered outside the town hall to protest against the closure.",
    "The minister, Elena Marsh, told parliament that the plan would be examined on its merits.",
    "Solar power has become the country's fastest-growing energy source over the past decade.",
    "Police said the road would remain closed until the investigation was complete.",
    "The company said in a statement that it was cooperating fully with regulators.",
    "Analysts expect the central bank to hold interest rates steady at its next meeting.",
    "The stadium, which holds 40,000 spectators, was sold out within an hour of tickets going on sale.",
    "Residents said they had complained about the noise for more than a year.",
    "The report, which runs to 300 pages, makes 42 recommendations for reform.",
    "Talks are expected to resume in Geneva next week after a pause for consultations.",
    "The hospital said the patient was in a stable condition and recovering well.",
];

const SOURCED: &[&str] = &[
    "The talks could collapse at any moment, according to people familiar with the matter.",
    "An unnamed official said the decision had already been taken at the highest level.",
    "Two senior administration officials, who spoke on condition of anonymity, said the plan was under review.",
    "Sources said the chairman had not been told in advance.",
    "It is understood that the offer was rejected on Monday night.",
    "A person close to the company said the board was divided over the sale.",
    "A former senior intelligence official said the risks had been underestimated.",
    "A spokeswoman for the ministry said no decision had been made.",
    "The official said a further announcement was expected within days.",
];

/// Generates about `bytes` bytes of draft text, wrapped at `width` columns.
pub fn draft(bytes: usize, width: usize, seed: u64) -> String {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out = String::with_capacity(bytes + 1024);
    let mut paragraph = 0usize;
    while out.len() < bytes {
        let sentences = 3 + rng.usize(0..3);
        let mut para = String::new();
        for k in 0..sentences {
            // One sourced sentence every third paragraph or so.
            let s = if k == 1 && paragraph.is_multiple_of(3) {
                SOURCED[rng.usize(0..SOURCED.len())]
            } else {
                PLAIN[rng.usize(0..PLAIN.len())]
            };
            if !para.is_empty() {
                para.push(' ');
            }
            para.push_str(s);
        }
        wrap_into(&mut out, &para, width);
        out.push('\n');
        paragraph += 1;
    }
    out
}

fn wrap_into(out: &mut String, para: &str, width: usize) {
    let mut col = 0;
    for word in para.split(' ') {
        if col > 0 && col + 1 + word.len() > width {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += word.len();
    }
    out.push('\n');
}
