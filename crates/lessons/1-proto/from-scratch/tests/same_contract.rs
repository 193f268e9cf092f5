//! The from-scratch project carries its own copy of the tutorial's v1 contract
//! (a reader copies the file into their project); it must not drift from it.

#[test]
fn the_proto_is_the_tutorials_v1() {
    let ours = include_str!("../proto/helloworld.proto");
    let tutorials = include_str!("../../../../../proto/tutorial/helloworld/v1/helloworld.proto");
    assert_eq!(ours, tutorials);
}
