//! Code "after `yield`": Python generators can act once a message has been taken.
//!
//! In a Python generator, the statement after `yield msg` runs only when the
//! consumer asks for the *next* item, that is, once `msg` has been taken. The
//! tutorial's bidi server logs "Sent" there. An `Iterator::map` closure runs
//! *before* its item is handed out, so [`after_yield`] supplies the other half:
//! `f(n)` runs when the consumer comes back after the `n`-th item (also after
//! the last one, when it asks and finds the end).

/// Wraps `iter` so that `after(n)` runs when the item after the `n`-th is asked for.
pub fn after_yield<I: Iterator, F: FnMut(usize)>(iter: I, after: F) -> AfterYield<I, F> {
    AfterYield {
        iter,
        after,
        taken: 0,
        pending: false,
    }
}

/// The iterator made by [`after_yield`].
#[derive(Debug)]
pub struct AfterYield<I, F> {
    iter: I,
    after: F,
    taken: usize,
    pending: bool,
}

impl<I: Iterator, F: FnMut(usize)> Iterator for AfterYield<I, F> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        if std::mem::take(&mut self.pending) {
            (self.after)(self.taken);
        }
        let item = self.iter.next()?;
        self.taken += 1;
        self.pending = true;
        Some(item)
    }
}

#[cfg(test)]
mod tests {
    use super::after_yield;
    use std::cell::RefCell;

    #[test]
    fn runs_once_per_item_when_the_next_one_is_asked_for() {
        let log = RefCell::new(Vec::new());
        let mut iter = after_yield(
            ['a', 'b']
                .into_iter()
                .inspect(|c| log.borrow_mut().push(format!("yield {c}"))),
            |n| log.borrow_mut().push(format!("after {n}")),
        );
        assert_eq!(iter.next(), Some('a'));
        assert_eq!(*log.borrow(), ["yield a"]);
        assert_eq!(iter.by_ref().count(), 1);
        assert_eq!(iter.next(), None);
        assert_eq!(*log.borrow(), ["yield a", "after 1", "yield b", "after 2"]);
    }
}
