// The tag every EC2 resource carries inline (its own file so record modules can share it without a cycle).

export interface Tag {
  Key: string
  Value: string
}
